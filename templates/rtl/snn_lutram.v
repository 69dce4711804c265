// snn_lutram: a RAM with an asynchronous read port and a synchronous write port, for
// read-modify-write in one clock (a read sees every write of earlier clocks).
// Infers distributed (LUT) RAM. Starts at zero; writes only when `en` is high.
`default_nettype none
module snn_lutram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4
) (
    input  wire             clk,
    input  wire             en,
    input  wire             we,
    input  wire [ADDR-1:0]  waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire [ADDR-1:0]  raddr,
    output wire [WIDTH-1:0] rdata
);
    (* ram_style = "distributed" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
    always @(posedge clk) if (en && we) mem[waddr] <= wdata;
    // Addresses beyond the last word read zero (in simulation as in hardware; only a depth
    // short of 2^ADDR needs the test).
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            assign rdata = mem[raddr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
            assign rdata = {1'b0, raddr} < LIMIT ? mem[raddr] : {WIDTH{1'b0}};
        end
    endgenerate
endmodule
`default_nettype wire
