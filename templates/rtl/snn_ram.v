// snn_ram: a simple dual-port RAM with a registered (synchronous) read port.
// A write happens in every clock with `we` high; the read register moves when `en` is high
// (so a stalled reader keeps its data while a writer goes on). A read sees the writes of
// earlier clocks.
// Written so that Vivado and Yosys infer block RAM, or distributed RAM when shallow.
`default_nettype none
module snn_ram #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter ADDR  = 4,
    parameter INIT  = ""          // $readmemh file, or "" for zeros
) (
    input  wire             clk,
    input  wire             en,
    input  wire             we,
    input  wire [ADDR-1:0]  waddr,
    input  wire [WIDTH-1:0] wdata,
    input  wire [ADDR-1:0]  raddr,
    output reg  [WIDTH-1:0] rdata
);
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    integer i;
    initial begin
        for (i = 0; i < DEPTH; i = i + 1) mem[i] = {WIDTH{1'b0}};
        if (INIT != "") $readmemh(INIT, mem);
        rdata = {WIDTH{1'b0}};
    end
    always @(posedge clk) if (we) mem[waddr] <= wdata;
    // Addresses beyond the last word read zero (in simulation as in hardware; only a depth
    // short of 2^ADDR needs the test).
    generate
        if (DEPTH == (1 << ADDR)) begin : full
            always @(posedge clk) if (en) rdata <= mem[raddr];
        end else begin : partial
            localparam [ADDR:0] LIMIT = DEPTH;
            always @(posedge clk) if (en) rdata <= {1'b0, raddr} < LIMIT ? mem[raddr] : {WIDTH{1'b0}};
        end
    endgenerate
endmodule
`default_nettype wire
