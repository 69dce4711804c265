// snn_lutram: a RAM with READS asynchronous read ports and a synchronous write port, for
// read-modify-write in one clock (a read sees every write of earlier clocks). Read port r
// is bits [ADDR*r +: ADDR] of raddr and [WIDTH*r +: WIDTH] of rdata.
// Infers distributed (LUT) RAM, a copy of the storage per read port. Starts at zero;
// writes only when `en` is high.
`default_nettype none
module snn_lutram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter READS = 1
) (
    input  wire                   clk,
    input  wire                   en,
    input  wire                   we,
    input  wire [ADDR-1:0]        waddr,
    input  wire [WIDTH-1:0]       wdata,
    input  wire [READS*ADDR-1:0]  raddr,
    output wire [READS*WIDTH-1:0] rdata
);
    (* ram_style = "distributed" *) reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
    always @(posedge clk) if (en && we) mem[waddr] <= wdata;
    // Addresses beyond the last word read zero (in simulation as in hardware; only a depth
    // short of 2^ADDR needs the test).
    genvar r;
    generate
        for (r = 0; r < READS; r = r + 1) begin : read
            wire [ADDR-1:0] address = raddr[ADDR*r +: ADDR];
            if (DEPTH == (1 << ADDR)) begin : full
                assign rdata[WIDTH*r +: WIDTH] = mem[address];
            end else begin : partial
                localparam [ADDR:0] LIMIT = DEPTH[ADDR:0];
                assign rdata[WIDTH*r +: WIDTH] = {1'b0, address} < LIMIT ? mem[address] : {WIDTH{1'b0}};
            end
        end
    endgenerate
endmodule
`default_nettype wire
